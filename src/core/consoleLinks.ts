/** ARNs and console addresses of AMIs, per partition. Plain logic. */

export function partitionOf(region: string): 'aws' | 'aws-cn' | 'aws-us-gov' {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** arn:PARTITION:ec2:REGION::image/AMI-ID (AMIs have no account in their ARN). */
export function imageArn(region: string, imageId: string): string {
  return `arn:${partitionOf(region)}:ec2:${region}::image/${imageId}`;
}

/** The EC2 console's page of one AMI in its Region. */
export function imageConsoleUrl(region: string, imageId: string): string {
  const host = { aws: `${region}.console.aws.amazon.com`, 'aws-cn': 'console.amazonaws.cn', 'aws-us-gov': 'console.amazonaws-us-gov.com' }[partitionOf(region)];
  return `https://${host}/ec2/home?region=${encodeURIComponent(region)}#ImageDetails:imageId=${encodeURIComponent(imageId)}`;
}
